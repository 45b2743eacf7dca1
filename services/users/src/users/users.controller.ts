import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  ApiProblems,
  AuthenticatedUser,
  Background,
  BackgroundTasksService,
  CurrentUser,
  MAX_LIMIT,
  PageQuery,
  Public,
  Scopes,
  UuidParam,
} from '@shop/shared';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { ApiUserId } from './user-id.decorator';
import { UserResponse } from './dto/user.response';
import { AuditedCaller } from './audited-caller.decorator';
import { NotificationsRepository } from './notifications.repository';
import { UsersService } from './users.service';

// Another user's id reads as unknown to whoever may not see them, so ids cannot be probed.
const NOT_VISIBLE = 'No such user, or one the caller may not see.';
const SELF_OR_ADMIN = 'Any user may do it to themselves; only a holder of `users:write` to anyone.';

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly notifications: NotificationsRepository,
  ) {}

  @Public()
  @Post()
  @ApiOperation({
    summary: 'Register',
    description:
      'Creates a customer with the default customer scopes (a registration cannot choose scopes) and ' +
      'publishes `user.registered`. Then ask `/auth/token` for tokens.',
  })
  @ApiBody({
    type: CreateUserDto,
    examples: {
      customer: { value: { username: 'alice', email: 'alice@example.com', password: 'Secret123', age: 34 } },
    },
  })
  @ApiCreatedResponse({ type: UserResponse, description: 'The new user' })
  @ApiProblems([409, 'A user with that username or email already exists.'], 413, 415)
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
  @ApiOperation({ summary: 'The caller', description: 'The user the access token belongs to.' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems([404, 'The caller was deleted, and the token has not been refused yet.'])
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(caller, caller.id));
  }

  @Get()
  @Scopes('users:read')
  @ApiOperation({ summary: 'List users', description: 'Every user, oldest first, a page at a time.' })
  @ApiExtraModels(UserResponse)
  @ApiOkResponse({
    description: 'One page of users',
    schema: { type: 'array', maxItems: MAX_LIMIT, items: { $ref: getSchemaPath(UserResponse) } },
  })
  async list(@Query() query: PageQuery): Promise<UserResponse[]> {
    return (await this.users.list(query.skip, query.limit)).map(UserResponse.from);
  }

  @Get(':id')
  @ApiUserId()
  @ApiOperation({
    summary: 'Get a user',
    description: 'Anyone may read themselves; a holder of `users:read` or `users:write` anyone.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems([404, NOT_VISIBLE])
  async get(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(caller, id));
  }

  @Patch(':id')
  @ApiUserId()
  @ApiOperation({
    summary: 'Change a user',
    description:
      `Changes the fields given. ${SELF_OR_ADMIN} Only \`users:write\` may set \`disabled\` or ` +
      '`scopes`. A new password or disabling revokes the refresh tokens; disabling also refuses the ' +
      "user's access tokens everywhere within seconds and closes their WebSockets.",
  })
  @ApiBody({
    type: UpdateUserDto,
    examples: {
      self: { summary: 'A user changes their email', value: { email: 'alice@example.org' } },
      admin: { summary: 'An admin disables a user', value: { disabled: true } },
    },
  })
  @ApiOkResponse({ type: UserResponse, description: 'The user after the change' })
  @ApiProblems(
    [403, 'Only a holder of `users:write` may set `disabled` or `scopes`.'],
    [404, NOT_VISIBLE],
    [409, 'Another user already has that email.'],
    413,
    415,
  )
  async update(
    @AuditedCaller('user.update') caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.users.update(caller, id, dto));
  }

  @Delete(':id')
  @ApiUserId()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a user',
    description:
      `${SELF_OR_ADMIN} Publishes \`user.deleted\`; the user's refresh tokens go with them and their ` +
      'access tokens are refused everywhere within seconds.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems([404, NOT_VISIBLE])
  delete(@AuditedCaller('user.delete') caller: AuthenticatedUser, @UuidParam() id: string): Promise<void> {
    return this.users.delete(caller, id);
  }
}
