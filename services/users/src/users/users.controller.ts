import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AuthenticatedUser,
  Background,
  BackgroundTasksService,
  CurrentUser,
  PageQuery,
  Public,
  Scopes,
} from '@shop/shared';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserResponse } from './dto/user.response';
import { NotificationsRepository } from './notifications.repository';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly notifications: NotificationsRepository,
  ) {}

  @Public()
  @Post()
  @ApiCreatedResponse({ type: UserResponse })
  async register(
    @Body() dto: CreateUserDto,
    @Background() tasks: BackgroundTasksService,
  ): Promise<UserResponse> {
    const user = await this.users.register(dto);
    // The seed's BackgroundTasksService example: the client does not wait for the welcome notification.
    tasks.add(() => this.notifications.record(user.id, 'welcome'));
    return UserResponse.from(user);
  }

  @Get('me')
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(caller, caller.id));
  }

  @Get()
  @Scopes('users:read')
  @ApiOkResponse({ type: [UserResponse] })
  async list(@Query() query: PageQuery): Promise<UserResponse[]> {
    return (await this.users.list(query.skip, query.limit)).map(UserResponse.from);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  async get(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(caller, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserResponse })
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.users.update(caller, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentUser() caller: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.delete(caller, id);
  }
}
